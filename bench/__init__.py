"""Load benchmark: our bot, the canonical botbuilder echo bot and a bare aiohttp handler."""
