"""Write engine/ops/derivatives_generated.py, the backward code generated from the formulas
the node classes state (NOTE [generated derivatives] in derivative.py)::

    python -m engine.autograd.generate_derivatives
"""
import engine.nn  # noqa: F401 - every node class, engine.nn's too
from engine.autograd import derivative

if __name__ == "__main__":
    print(f"wrote {derivative.write_generated()}")
