"""Demo and benchmark data: `manage.py seed_demo`.

- `names`: name pools per nationality (original script and Latin letters).
- `world`: the demo offices, staff logins and programmes.
- `people`: made-up migrants and families, shared by both seeds.
- `demo`: a few hundred cases moved through the real services.
- `followup`: survey instruments, monitoring schedules, visits and surveys after return.
- `complaints`: feedback and complaints received and handled by the offices.
- `bulk`: synthetic data at scale for benchmarks (bypasses the services).
"""
