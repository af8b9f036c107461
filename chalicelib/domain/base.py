"""The base of every model here."""

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    # Schemas are built on first use rather than at import, so a cold start pays only for what it touches.
    model_config = ConfigDict(frozen=True, defer_build=True)
