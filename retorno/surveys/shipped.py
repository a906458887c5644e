"""The instruments Retorno ships (`data/*.json`), installed by `services.install_shipped`.

Each file holds one instrument version: `code`, `name` (English), `purpose`, `number`
and the `definition` (format in `definition.py`).

- `sustainability-v1.json`: a reintegration sustainability survey modelled on the
  published structure of IOM's Reintegration Sustainability Survey — 15 indicators, five
  in each of the economic, social and psychosocial dimensions — written in our own words.
  Its weights (equal within each dimension, and between the dimensions) are
  **provisional**: an organisation loads its official table as a new version.
- `satisfaction-v1.json`: satisfaction with the assistance received (information and
  counselling, travel, reintegration assistance), scored with the same machinery.
"""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
FILES = ("sustainability-v1.json", "satisfaction-v1.json")


def shipped_documents() -> list[dict]:
    """The shipped instrument versions, as read from their files."""
    return [json.loads((DATA / name).read_text(encoding="utf-8")) for name in FILES]
