"""Skeleton: parser being written (recognises nothing yet)."""

from migprofile.sources.base import Source


class RpwCorridorsDataBank(Source):
    id = "rpw_corridors"

    def recognise(self, path, peek):
        return None


class RpwDataset(Source):
    id = "rpw_providers"

    def recognise(self, path, peek):
        return None
