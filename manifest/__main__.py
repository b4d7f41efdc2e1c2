"""Build the Teams app package: python -m manifest --app-id GUID [--out DIR_OR_ZIP]."""

import sys

from manifest.build import main

sys.exit(main())
