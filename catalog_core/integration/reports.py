"""Integration summary and statistics (seeds/003 shapes), computed from the store."""

from __future__ import annotations

from collections import Counter
from typing import Any

from catalog_core.integration.models import ComponentStatus
from catalog_core.integration.store import IntegrationStore


def summary(store: IntegrationStore, recent: int = 10) -> dict[str, Any]:
    components = store.components()
    return {
        "staged_components": len(components),
        "integration_pipelines": len(store.pipelines()),
        "component_status_distribution": dict(
            sorted(Counter(c.status.value for c in components).items())
        ),
        "components": [
            {
                "component_id": c.component_id,
                "source_workspace": c.source_workspace,
                "status": c.status.value,
                "stage": c.stage.value,
                "component_types": c.component_types,
                "staged_at": c.staged_at.isoformat(),
            }
            for c in components
        ],
        "recent_activities": store.activities(limit=recent),
        "interrupted_operations": len(store.journal()),
    }


def statistics(store: IntegrationStore) -> dict[str, Any]:
    components = store.components()
    actions = store.action_counts()
    succeeded = actions.get("promoted", 0)
    failed = actions.get("promotion_failed", 0) + actions.get("promotion_refused", 0)
    attempted = succeeded + failed
    by_type: Counter[str] = Counter()
    for c in components:
        by_type.update(c.component_types)
    return {
        "integration_operations": {
            "total_staged_components": len(components),
            "stagings": actions.get("staged", 0),
            "validations": actions.get("validated", 0),
            "promotions_attempted": attempted,
            "successful_promotions": succeeded,
            "failed_promotions": failed,
            "promotion_success_rate": succeeded / attempted if attempted else 0.0,
            "rollbacks": actions.get("rolled_back", 0),
            "approvals": actions.get("approved", 0),
            "rejections": actions.get("rejected", 0),
        },
        "component_statistics": {
            "by_type": dict(sorted(by_type.items())),
            "by_status": {
                s.value: n for s in ComponentStatus if (n := sum(c.status is s for c in components))
            },
            "by_workspace": dict(sorted(Counter(c.source_workspace for c in components).items())),
            "by_stage": dict(sorted(Counter(c.stage.value for c in components).items())),
        },
    }
