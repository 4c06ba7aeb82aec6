"""lmc.flows: gravity models of tourism and trade, GE counterfactuals, destination choice, railway finance, scenarios.

Modules (import them directly; this package imports nothing heavy on purpose, so ``import lmc`` stays fast):

* :mod:`lmc.flows.gravity` - PPML via pyfixest -> :class:`~lmc.flows.gravity.GravityResult`
* :mod:`lmc.flows.panel` - the bilateral panel builder (pure) and its warehouse loader
* :mod:`lmc.flows.ge` - structural-gravity GE from observed flows -> :class:`~lmc.flows.ge.GEResult`
* :mod:`lmc.flows.choice` - destination choice with a no-trip option -> :class:`~lmc.flows.choice.ChoiceResult`
* :mod:`lmc.flows.visa_effect` - the visa effect of Thailand's 2023 waiver -> :class:`~lmc.flows.visa_effect.VisaEffect`
* :mod:`lmc.flows.railway_finance` - Laos-China Railway cash flows, real terms -> :class:`~lmc.flows.railway_finance.RailwayResult`
* :mod:`lmc.flows.trend` - a claimed growth path against a PPML trend -> :class:`~lmc.flows.trend.TrendResult`
* :mod:`lmc.flows.validation` / :mod:`lmc.flows.backcasts` - the back-cast registry and its checks
* :mod:`lmc.flows.schema` - scenario schema and the bounds of every parameter
* :mod:`lmc.flows.scenarios` - scenario YAML, the back-cast gate and runs -> :class:`~lmc.flows.scenarios.ScenarioResult`
"""
