"""Started by Python in a test's child process: run on the test's clock (tests.support.clock)."""

import os
import time
from datetime import UTC, datetime

_offset = os.environ.get("AMKBOT_TEST_CLOCK_OFFSET")
if _offset is not None:
    import time_machine

    time_machine.travel(
        datetime.fromtimestamp(time.time() + float(_offset), UTC), tick=True
    ).start()
