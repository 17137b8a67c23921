"""The context family (AR401-AR405): the context files an agent reads first."""
