"""Skeleton: parser being written (recognises nothing yet)."""

from migprofile.sources.base import Source


class UnhcrPopulation(Source):
    id = "unhcr"

    def recognise(self, path, peek):
        return None
