"""The catalogue's texts, one module per flow: `TEXTS = {key: (Danish, English)}`."""
