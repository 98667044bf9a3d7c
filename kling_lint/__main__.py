from kling_lint.entry import main

main()
