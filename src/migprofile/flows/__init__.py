"""Migration flows estimated from stock tables (issue 16); see `flows.methods`."""

from migprofile.flows.methods import METHODS, Estimate, FlowError, estimate

__all__ = ["METHODS", "Estimate", "FlowError", "estimate"]
