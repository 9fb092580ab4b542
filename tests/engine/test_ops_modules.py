"""engine.ops imports every op module itself: a module left out of its list would leave its
ops out of the engine, the sandbox and the palette without any import failing."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: this process has imported other modules already.
_IMPORTED_BY_ENGINE = """
import json, pkgutil, sys
import engine.ops
print(json.dumps(sorted(m.name for m in pkgutil.iter_modules(engine.ops.__path__)
                        if "engine.ops." + m.name not in sys.modules)))
"""


def test_importing_engine_imports_every_op_module():
    out = subprocess.run([sys.executable, "-c", _IMPORTED_BY_ENGINE], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    assert json.loads(out) == []
