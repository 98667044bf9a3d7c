"""``kling-lint serve``: a local stand-in for the gateway's video endpoint.

It answers as SPEC.md's "What the service answers" says: ``POST /v1/video/generations`` is
checked with kling-lint's own layers (load -> contract -> engine, findings rendered as
``check --format json`` records), and each accepted request becomes a job that walks
``queued`` -> ``in_progress`` -> ``completed`` (or ``failed``) and serves a placeholder MP4.

- ``jobs``: the jobs, their clock, their seeded outcomes, bounded in memory;
- ``service``: what each request gets, as a status and a JSON body (no sockets);
- ``server``: the HTTP server around it (standard library), its limits, its log, its signals;
- ``videos/``: the placeholder MP4s, one per aspect ratio of the schema's enum.

Nothing here is imported by ``check``: the command imports this package when it runs.
"""
