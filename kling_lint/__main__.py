from kling_lint.cli import main

main(prog_name="kling-lint")
