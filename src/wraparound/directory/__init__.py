"""The directory of services: who offers what, to whom, when, and with what capacity now."""
