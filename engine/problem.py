"""The shape of one reason a process bundle was refused."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One reason a bundle cannot run: the element (or file) and what is wrong."""

    element: str
    message: str
