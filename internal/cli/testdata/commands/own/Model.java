// An input convert refuses: GraphWalker cannot read Java models.
