"""lmc.flows: gravity models of tourism and trade, GE counterfactuals, destination choice, railway finance, scenarios.

Modules (import them directly; this package imports nothing heavy on purpose, so ``import lmc`` stays fast):

* :mod:`lmc.flows.gravity` - PPML via pyfixest -> :class:`~lmc.flows.gravity.GravityResult`
* :mod:`lmc.flows.panel` - the bilateral panel builder (pure) and its warehouse loader
* :mod:`lmc.flows.ge` - structural-gravity GE fixed point -> :class:`~lmc.flows.ge.GEResult`
* :mod:`lmc.flows.choice` - nested-logit destination choice -> :class:`~lmc.flows.choice.ChoiceResult`
* :mod:`lmc.flows.railway_finance` - Laos-China Railway cash flows -> :class:`~lmc.flows.railway_finance.RailwayResult`
* :mod:`lmc.flows.trend` - a claimed growth path against a PPML trend -> :class:`~lmc.flows.trend.TrendResult`
* :mod:`lmc.flows.scenarios` - scenario YAML, validation and runs -> :class:`~lmc.flows.scenarios.ScenarioResult`
"""
