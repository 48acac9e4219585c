from enum import StrEnum


class GenerateModel(StrEnum):
    """Open enum: a value the spec does not list becomes a pseudo-member named ``UNKNOWN``.

    Parsing a value a newer server sends must not fail; request validation still refuses it.
    """

    VEO3 = "veo3"
    VEO3_FAST = "veo3_fast"
    VEO3_LITE = "veo3_lite"

    @classmethod
    def _missing_(cls, value: object) -> "GenerateModel | None":
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = "UNKNOWN"
        member._value_ = value
        return member

    @property
    def is_known(self) -> bool:
        """Whether the spec lists this value."""
        return self._name_ in type(self).__members__

    def __str__(self) -> str:
        return str(self.value)
