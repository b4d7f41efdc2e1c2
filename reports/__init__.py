"""Excel workbooks the secretariat and units can send on without editing."""
