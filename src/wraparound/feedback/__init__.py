"""The Friends and Family Test: answers from a link, the monthly return, themes and "You said, we did"."""
