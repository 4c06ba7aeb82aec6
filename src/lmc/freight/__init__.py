"""Freight along the Kunming-Vientiane-Bangkok corridor: route choice, back-casts, scenarios, the places map layer.

* :mod:`lmc.freight.inputs` - the model's sourced inputs (``data/routes.yaml``);
* :mod:`lmc.freight.model` - generalised costs, multinomial-logit route shares, calibration (``fit``) and
  ``tonnes_by_year`` for railway finance;
* :mod:`lmc.freight.backcast` - predicted vs observed volumes in years the model was not calibrated on;
* :mod:`lmc.freight.scenarios` - ``freight-border-time-halved``, ``thai-standard-gauge-link``, ``yunnan-value-added``;
* :mod:`lmc.freight.places` - the registry of places as a typed map layer.
"""
