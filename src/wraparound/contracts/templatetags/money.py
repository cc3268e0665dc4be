from django import template

register = template.Library()


@register.filter
def money(pence: int | None) -> str:
    """Whole pence as pounds, with the sign before the pound sign: -£1,234.50."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pounds, pennies = divmod(abs(int(pence)), 100)
    return f"{sign}£{pounds:,}.{pennies:02d}"
