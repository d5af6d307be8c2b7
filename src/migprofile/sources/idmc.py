"""Skeleton: parser being written (recognises nothing yet)."""

from migprofile.sources.base import Source


class IdmcDisplacement(Source):
    id = "idmc"

    def recognise(self, path, peek):
        return None
