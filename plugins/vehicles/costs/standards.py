"""The standards the costs area reads (Art. 29): the running-cost caps and the evaluation's
weights, target and grade thresholds. Every number a rule or a score reads is one of these."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import StandardKind

RUNNING_COST_CAP = "vehicles_running_cost_cap"
COST_PER_KM_CAP = "vehicles_cost_per_km_cap"
WEIGHT_KIND = "vehicles_evaluation_weight"
DESIGNATED_TARGET = "vehicles_designated_repair_target"
GRADE_KIND = "vehicles_evaluation_grade"

#: the key of the caps: one cap for every official vehicle of the jurisdiction
ALL_VEHICLES = "all"
CAP_KEYS = {ALL_VEHICLES: _l("各类公务用车")}
INDICATORS = {
    "running_cost": _l("单车年运行费用"),
    "cost_per_km": _l("每公里运行费用"),
    "designated_repairs": _l("定点维修保养占比"),
}
GRADE_KEYS = {"excellent": _l("优秀"), "good": _l("良好"), "pass": _l("合格")}


def standard_kinds() -> list[StandardKind]:
    return [
        StandardKind(kind=RUNNING_COST_CAP, label=_l("公务用车单车年运行费用上限"), unit="元/辆·年",
                     articles=(29,), stricter="lower", key_label=_l("车辆范围"),
                     key_choices=lambda: list(CAP_KEYS.items()),
                     description=_l("一辆公务用车一年的运行维护费用（已入账）的上限，年度绩效评价据此评分")),
        StandardKind(kind=COST_PER_KM_CAP, label=_l("公务用车每公里运行费用上限"), unit="元/公里",
                     articles=(29,), stricter="lower", key_label=_l("车辆范围"),
                     key_choices=lambda: list(CAP_KEYS.items()),
                     description=_l("运行维护费用除以行驶里程的上限，年度绩效评价据此评分")),
        StandardKind(kind=WEIGHT_KIND, label=_l("公务用车绩效评价指标权重"), unit="分", articles=(29,),
                     key_label=_l("评价指标"), key_choices=lambda: list(INDICATORS.items()),
                     description=_l("各评价指标的满分；总分按权重合计折算为百分制")),
        StandardKind(kind=DESIGNATED_TARGET, label=_l("公务用车定点维修保养占比目标"), unit="%",
                     articles=(29,), stricter="higher", key_label=_l("车辆范围"),
                     key_choices=lambda: list(CAP_KEYS.items()),
                     description=_l("在定点维修单位维修、保养的次数占全部维修、保养次数的比例下限")),
        StandardKind(kind=GRADE_KIND, label=_l("公务用车绩效评价等级分数线"), unit="分", articles=(29,),
                     key_label=_l("评价等级"), key_choices=lambda: list(GRADE_KEYS.items()),
                     description=_l("总分达到分数线评为该等级（优秀、良好、合格），低于合格线为不合格")),
    ]
