from enum import IntEnum


class Duration(IntEnum):
    """Open enum: a value the spec does not list becomes a pseudo-member named ``UNKNOWN_<value>``.

    Server-owned codes grow over time; parsing a new one must not fail.
    """

    SECONDS_4 = 4
    SECONDS_6 = 6
    SECONDS_8 = 8

    @classmethod
    def _missing_(cls, value: object) -> "Duration | None":
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        member = int.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member

    @property
    def is_known(self) -> bool:
        """Whether the spec lists this value."""
        return self._name_ in type(self).__members__

    def __str__(self) -> str:
        return str(self.value)
