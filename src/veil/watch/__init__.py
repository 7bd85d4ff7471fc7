"""Watch what is live: sweep the public site, take down what must not be there, open an incident.

    inventory.py   list a public directory (lstat only; loops, dangling links, unlistable folders reported)
    state.py       the inventory kept between sweeps (SQLite): unchanged files are not read again
    scanning.py    hash + check changed files in a spawn process pool, bounded memory
    approvals.py   what the files are compared with: `--approved` lists, or none
    sweep.py       the sweep over a directory, and the bookkeeping (Ledger) shared with the crawler
    crawl.py       the same over HTTP: same-origin crawl or a URL list, robots.txt, rate and size limits
    report.py      text and JSON output (the JSON shape of `veil check`)
    takedown.py    quarantine: one atomic rename out of the public tree, bytes kept sealed under their sha256
    fsevents.py    the public tree's file-system events (watchfiles), debounced: a sweep of what changed, at once
    alerts.py      e-mail (SMTP) and webhook alerts
    service.py     inside `veil serve`: publication records, takedowns, incidents, audit events (store/workflow)
    scheduler.py   sweeps on file-system events, on a schedule, after each publication, on demand
    reports.py     external reports of URLs, tracked by a token
    web.py         the report form and API, staff views (`install(app)`)

The core (inventory, state, scanning, approvals, sweep, crawl, report, takedown, fsevents, alerts) imports neither
the web nor the store; service/scheduler/reports/web are the glue to the gate.
"""
