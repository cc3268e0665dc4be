from django import template

from wraparound.contracts import arithmetic

register = template.Library()


@register.filter
def money(pence: int | None) -> str:
    """Whole pence as pounds: -£1,234.50 (``arithmetic.money``); nothing for no amount."""
    return "" if pence is None else arithmetic.money(int(pence))
