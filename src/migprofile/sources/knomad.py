"""Skeleton: parser being written (recognises nothing yet)."""

from migprofile.sources.base import Source


class KnomadBilateralRemittances(Source):
    id = "wb_bilateral_remittances"

    def recognise(self, path, peek):
        return None


class KnomadBilateralMigration(Source):
    id = "wb_bilateral_migration"

    def recognise(self, path, peek):
        return None


class KnomadRemittanceFlows(Source):
    id = "knomad_remittance_flows"

    def recognise(self, path, peek):
        return None
