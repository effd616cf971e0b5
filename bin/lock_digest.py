"""The digest of what the lock files are made from: pyproject.toml's requires-python, dependencies,
optional dependencies and build requirements. ``bin/lock`` writes it into each lock; ``bin/install``
refuses a lock whose digest differs, so a dependency list changed without ``bash bin/lock`` fails at
once instead of leaving a package out. Run with any Python 3.11+: ``python bin/lock_digest.py``."""

import hashlib
import json
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
PREFIX = "# pyproject.toml digest: "


def digest() -> str:
    with PYPROJECT.open("rb") as f:
        data = tomllib.load(f)
    project = data["project"]
    inputs = {
        "requires-python": project.get("requires-python", ""),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "build-system": data.get("build-system", {}).get("requires", []),
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def recorded(lock: Path) -> str | None:
    for line in lock.read_text().splitlines():
        if line.startswith(PREFIX):
            return line.removeprefix(PREFIX).strip()
    return None


if __name__ == "__main__":
    # No argument: print the digest. With lock files: exit 1 naming those made from another pyproject.toml.
    if len(sys.argv) == 1:
        print(digest())
        sys.exit(0)
    stale = [name for name in sys.argv[1:] if recorded(Path(name)) != digest()]
    for name in stale:
        print(
            f"{name} was not made from this pyproject.toml's dependency lists: run `bash bin/lock` "
            "and commit the lock files",
            file=sys.stderr,
        )
    sys.exit(1 if stale else 0)
