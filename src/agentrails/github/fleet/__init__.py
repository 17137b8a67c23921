"""The fleet view: repositories made from the template and where each stands."""
