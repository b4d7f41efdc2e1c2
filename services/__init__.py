"""Use cases of each flow and their scheduled jobs, typed against the ports in `services.ports`."""
