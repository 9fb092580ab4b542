"""``python -m explorer.export FILE -o OUT ...``."""
import sys

from explorer.export.cli import main

sys.exit(main())
