"""The migrations family (AR601, AR602): dated plans and their review passes."""
