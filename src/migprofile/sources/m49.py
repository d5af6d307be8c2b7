"""Skeleton: parser being written (recognises nothing yet)."""

from migprofile.sources.base import Source


class UnsdM49(Source):
    id = "m49"

    def recognise(self, path, peek):
        return None
