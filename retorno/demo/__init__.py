"""Demo and benchmark data: `manage.py seed_demo`.

- `names`: name pools per nationality (original script and Latin letters).
- `world`: the demo offices, staff logins and programmes.
- `people`: made-up migrants and families, shared by both seeds.
- `demo`: a few hundred cases moved through the real services.
- `bulk`: synthetic data at scale for benchmarks (bypasses the services).
"""
