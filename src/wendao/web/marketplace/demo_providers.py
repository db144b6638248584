"""More made-up providers for the demo marketplace, so it shows what a real directory would hold: every scenario
family of the catalog, all 16 cities of Shandong and a few from outside, AI firms, universities, capability
centres and integrators. Every name ends in （虚构） and every row is saved with ``synthetic=True``.

Nothing here is a statistic or a real organisation. A provider's price range is not invented either: it is the
catalog's own one-off cost estimate of its first scenario for the client sizes it serves (``price_for``), so the
demo's budget reasons read the same figures the plans use.
"""

from __future__ import annotations

from dataclasses import dataclass

from wendao.engine.catalog import LoadedCatalog

# the sizes a provider serves -> the catalog cost bands its price range spans (smallest low to largest high)
SERVES = {
    "micro": ("micro", "small"),
    "small": ("small", "medium"),
    "medium": ("medium",),
    "large": ("medium", "large"),
}


@dataclass(frozen=True)
class ProviderRow:
    name: str
    kind: str
    serves: str  # a key of SERVES
    regions: tuple[str, ...]  # catalog city ids; empty = anywhere
    scenario_ids: tuple[str, ...]
    industries: tuple[str, ...]  # GB/T 4754 divisions; empty = any
    description: str


def price_for(row: ProviderRow, loaded: LoadedCatalog) -> tuple[float, float]:
    """The catalog's one-off cost estimate of the row's first scenario over the bands of the sizes it serves."""
    cost = loaded.catalog.scenario(row.scenario_ids[0]).cost
    bands = [getattr(cost, size).one_off for size in SERVES[row.serves]]
    return min(b.low for b in bands), max(b.high for b in bands)


ROWS = (
    # --- quality: inspection, traceability, analysis ---------------------------------------------------------------
    ProviderRow(
        "青岛视界精测科技有限公司（虚构）",
        "ai_firm",
        "small",
        ("qingdao", "yantai", "weihai", "rizhao"),
        ("ai_visual_inspection_small_model", "online_inspection"),
        ("C29", "C33", "C38", "C39"),
        "小样本视觉质检：注塑件、线束和 PCB 外观缺陷，一套相机加边缘盒子起步，支持产线工人自行标注。",
    ),
    ProviderRow(
        "临沂质控云软件有限公司（虚构）",
        "ai_firm",
        "micro",
        ("linyi", "rizhao", "zaozhuang"),
        ("quality_traceability", "quality_analysis_improvement", "ai_quality_report_drafting"),
        ("C20", "C21", "C33"),
        "板材、家具和五金企业的批次追溯、来料检验记录和质量月报自动生成。",
    ),
    ProviderRow(
        "聊城轴承检测技术服务中心（虚构）",
        "capability_centre",
        "small",
        ("liaocheng", "dezhou", "jinan"),
        ("online_inspection", "quality_analysis_improvement"),
        ("C34",),
        "轴承套圈与滚子的尺寸、外观在线检测，检测数据做 SPC 分析，服务本地轴承产业集群。",
    ),
    ProviderRow(
        "东营石化质量数据研究所（虚构）",
        "university",
        "medium",
        ("dongying", "binzhou"),
        ("quality_analysis_improvement", "ai_quality_report_drafting"),
        ("C25", "C26"),
        "炼化和化工产品的质量数据分析、配方与工艺偏差溯因，可联合企业申报科研项目。",
    ),
    # --- equipment: monitoring, prediction, maintenance --------------------------------------------------------------
    ProviderRow(
        "济宁设备健康科技有限公司（虚构）",
        "ai_firm",
        "small",
        ("jining", "zaozhuang", "heze", "taian"),
        ("ai_predictive_maintenance", "equipment_fault_prediction", "equipment_monitoring"),
        ("C30", "C34", "C35"),
        "振动与电流传感器加装、故障诊断模型，面向破碎机、输送机和风机水泵。",
    ),
    ProviderRow(
        "淄博陶瓷装备运维服务有限公司（虚构）",
        "ai_firm",
        "micro",
        ("zibo",),
        ("equipment_monitoring", "equipment_maintenance", "ai_maintenance_knowledge_assistant"),
        ("C30",),
        "窑炉、压机等陶瓷装备的运行监控和点检电子化，维修经验整理成知识助手。",
    ),
    ProviderRow(
        "潍坊动力装备远程运维平台（虚构）",
        "ai_firm",
        "medium",
        ("weifang", "qingdao", "jinan"),
        ("remote_operation_service", "equipment_fault_prediction"),
        ("C34", "C36"),
        "发动机、农机等产品出厂后的远程监测和服务工单，帮助装备企业开展后市场服务。",
    ),
    ProviderRow(
        "德州电机智能维保有限公司（虚构）",
        "ai_firm",
        "micro",
        ("dezhou", "liaocheng", "binzhou"),
        ("equipment_networking_data_collection", "equipment_monitoring"),
        (),
        "老旧设备联网与数据采集，先看清开机率和停机原因，再决定是否上预测性维护。",
    ),
    # --- production: planning, scheduling, reporting ---------------------------------------------------------------
    ProviderRow(
        "烟台柔性排产软件有限公司（虚构）",
        "ai_firm",
        "small",
        ("yantai", "weihai", "qingdao"),
        ("ai_scheduling_agent", "workshop_scheduling", "production_plan_optimisation"),
        ("C33", "C34", "C37"),
        "多品种小批量车间的高级排产，插单影响一目了然，可与主流 ERP 对接。",
    ),
    ProviderRow(
        "菏泽轻量 MES 服务有限公司（虚构）",
        "ai_firm",
        "micro",
        ("heze", "jining", "liaocheng"),
        ("mes_lite_production_reporting", "production_progress_tracking"),
        ("C13", "C17", "C21"),
        "手机扫码报工、工单和计件工资，一周上线，适合五十人以下的工厂。",
    ),
    ProviderRow(
        "济南工业工程研究院生产运作所（虚构）",
        "university",
        "medium",
        ("jinan",),
        ("production_plan_optimisation", "ai_demand_forecasting", "lean_management"),
        (),
        "需求预测、产销协同与精益改善，研究生团队驻厂，成果可用于企业技术中心认定材料。",
    ),
    ProviderRow(
        "威海船舶配套数字化服务中心（虚构）",
        "capability_centre",
        "medium",
        ("weihai", "yantai"),
        ("dynamic_dispatching", "production_progress_tracking"),
        ("C37",),
        "船舶配套件的生产动态调度和进度跟踪，按节点向总装厂同步交付状态。",
    ),
    # --- process: design, optimisation, control ----------------------------------------------------------------------
    ProviderRow(
        "淄博过程控制工程有限公司（虚构）",
        "ai_firm",
        "large",
        ("zibo", "dongying", "binzhou", "other"),
        ("advanced_process_control", "process_dynamic_optimisation"),
        ("C25", "C26", "C28"),
        "精馏、反应等装置的先进过程控制与实时优化，提供控制回路整定和操作员培训。",
    ),
    ProviderRow(
        "滨州铝加工工艺智能实验室（虚构）",
        "university",
        "medium",
        ("binzhou", "zibo"),
        ("ai_process_parameter_recommendation", "process_dynamic_optimisation"),
        ("C32", "C33"),
        "铝合金熔铸、挤压工艺参数推荐模型，基于企业历史批次数据训练。",
    ),
    ProviderRow(
        "青岛数字工艺设计有限公司（虚构）",
        "ai_firm",
        "small",
        ("qingdao", "weifang"),
        ("process_digital_design", "product_digital_design", "ai_generative_design"),
        ("C34", "C35", "C38"),
        "三维工艺设计、产品结构生成式设计与仿真验证，缩短新品打样周期。",
    ),
    ProviderRow(
        "泰安工程机械虚拟验证中心（虚构）",
        "capability_centre",
        "medium",
        ("taian", "jinan", "jining"),
        ("product_virtual_validation", "digital_twin_factory"),
        ("C35", "C36"),
        "整机与关键部件的虚拟样机验证，产线数字孪生建模。",
    ),
    ProviderRow(
        "枣庄 PLC 编程助手工作室（虚构）",
        "ai_firm",
        "micro",
        ("zaozhuang", "linyi", "jining"),
        ("ai_plc_code_assistant", "manufacturing_engineering_optimisation"),
        (),
        "用大模型辅助编写和审查 PLC 程序、生成调试记录，帮助小厂电气工程师提效。",
    ),
    # --- safety, energy, environment -------------------------------------------------------------------------------
    ProviderRow(
        "东营安全生产视频智能有限公司（虚构）",
        "ai_firm",
        "small",
        ("dongying", "binzhou", "zibo", "weifang"),
        ("ai_safety_video_analytics", "safety_integrated_control"),
        ("C25", "C26", "C29"),
        "利用现有监控摄像头识别未戴安全帽、闯入危险区域和明火烟雾，报警推送到班组长手机。",
    ),
    ProviderRow(
        "日照钢铁能效服务有限公司（虚构）",
        "ai_firm",
        "large",
        ("rizhao", "linyi", "other"),
        ("energy_management", "ai_energy_optimisation"),
        ("C31", "C32"),
        "钢铁和有色企业的能源计量、能耗预测与余热利用优化。",
    ),
    ProviderRow(
        "济宁碳核算咨询有限公司（虚构）",
        "other",
        "micro",
        ("jining", "heze", "zaozhuang", "taian"),
        ("ai_carbon_accounting_assistant", "carbon_asset_management"),
        (),
        "产品碳足迹和企业碳排放核算，帮助出口企业应对客户的碳数据要求。",
    ),
    ProviderRow(
        "聊城环保在线监测技术有限公司（虚构）",
        "ai_firm",
        "small",
        ("liaocheng", "dezhou", "heze"),
        ("pollution_monitoring",),
        ("C22", "C26", "C30"),
        "废水、废气排放在线监测与超标预警，监测数据与环保平台对接。",
    ),
    ProviderRow(
        "淄博危险作业机器人有限公司（虚构）",
        "ai_firm",
        "medium",
        ("zibo", "jinan", "other"),
        ("hazardous_work_automation", "human_robot_collaboration"),
        ("C26", "C30", "C31"),
        "高温、有毒、粉尘环境的巡检与作业机器人，协作机器人替代重复搬运。",
    ),
    # --- supply chain and warehousing --------------------------------------------------------------------------------
    ProviderRow(
        "临沂商贸物流智能仓储有限公司（虚构）",
        "ai_firm",
        "small",
        ("linyi", "rizhao", "zaozhuang"),
        ("smart_warehousing", "supply_chain_logistics", "material_delivery"),
        ("C13", "C14", "C21"),
        "依托商贸物流城的智能仓储、库位优化和同城配送调度。",
    ),
    ProviderRow(
        "潍坊供应链风险监测有限公司（虚构）",
        "ai_firm",
        "small",
        ("weifang", "qingdao", "yantai"),
        ("ai_supplier_risk_monitoring", "supply_chain_risk_warning"),
        ("C34", "C36", "C38"),
        "供应商经营、舆情和交付风险监测，断供预警与替代供应商建议。",
    ),
    ProviderRow(
        "德州采购协同平台有限公司（虚构）",
        "ai_firm",
        "micro",
        ("dezhou", "jinan", "liaocheng"),
        ("procurement_planning", "ai_procurement_document_processing"),
        (),
        "采购计划协同、询比价和合同单据智能识别，适合采购员少、单据多的工厂。",
    ),
    ProviderRow(
        "青岛产业链协同制造研究院（虚构）",
        "university",
        "large",
        ("qingdao", "other"),
        ("networked_collaborative_manufacturing", "supply_chain_digital_management"),
        ("C36", "C38", "C39"),
        "链主企业与配套企业之间的订单、库存和产能协同，支持揭榜挂帅联合攻关。",
    ),
    # --- operations management and decisions -------------------------------------------------------------------------
    ProviderRow(
        "济南企业知识库大模型有限公司（虚构）",
        "ai_firm",
        "small",
        (),
        ("ai_enterprise_knowledge_qa", "ai_document_qa_pilot", "ai_data_query_agent"),
        (),
        "本地部署的大模型知识库问答和经营数据问数，先用一个部门的文档做试点。",
    ),
    ProviderRow(
        "烟台数智精益管理咨询有限公司（虚构）",
        "other",
        "small",
        ("yantai", "weihai"),
        ("lean_management", "ai_shift_handover_assistant", "intelligent_business_decision"),
        (),
        "精益生产咨询结合数据看板，交接班记录和生产日报自动生成。",
    ),
    ProviderRow(
        "泰安中小企业云 ERP 服务站（虚构）",
        "capability_centre",
        "micro",
        ("taian", "jinan", "liaocheng"),
        ("cloud_erp_saas", "mes_lite_production_reporting"),
        (),
        "云 ERP 和进销存选型、上线和数据导入，服务中小企业数字化转型第一步。",
    ),
    ProviderRow(
        "日照数字基础设施集成有限公司（虚构）",
        "ai_firm",
        "medium",
        ("rizhao", "linyi", "jining"),
        ("digital_infrastructure", "factory_digital_planning"),
        (),
        "工厂网络、机房和工业互联网标识解析建设，数字化工厂总体规划。",
    ),
    # --- products, customers and services ----------------------------------------------------------------------------
    ProviderRow(
        "威海外贸询盘智能助手有限公司（虚构）",
        "ai_firm",
        "micro",
        ("weihai", "yantai", "qingdao"),
        ("ai_marketing_content_generation", "precision_marketing"),
        ("C17", "C18", "C24"),
        "多语种产品介绍、外贸询盘回复和展会资料生成，纺织服装和文体用品企业使用较多。",
    ),
    ProviderRow(
        "菏泽智能客服外包有限公司（虚构）",
        "ai_firm",
        "micro",
        ("heze", "jining", "other"),
        ("ai_customer_service", "proactive_customer_service"),
        ("C13", "C14", "C21"),
        "售后客服大模型助手和回访提醒，农副食品和家具企业的电商客服。",
    ),
    ProviderRow(
        "潍坊规模化定制软件有限公司（虚构）",
        "ai_firm",
        "small",
        ("weifang", "jinan", "zibo"),
        ("mass_customisation", "ai_quotation_configurator"),
        ("C21", "C34", "C38"),
        "产品选配和智能报价，订单参数直接生成 BOM 和工艺路线。",
    ),
    ProviderRow(
        "济南高校产品服务化研究中心（虚构）",
        "university",
        "medium",
        ("jinan", "other"),
        ("product_value_added_service", "remote_operation_service"),
        ("C34", "C35", "C40"),
        "装备和仪表企业从卖产品到卖服务的模式设计，联网产品的增值服务开发。",
    ),
    ProviderRow(
        "枣庄换产快速切换技术服务中心（虚构）",
        "capability_centre",
        "small",
        ("zaozhuang", "jining"),
        ("flexible_line_changeover", "ai_sop_training_assistant"),
        ("C29", "C33", "C36"),
        "快速换模（SMED）与柔性产线改造，作业指导书数字化和新员工培训助手。",
    ),
    ProviderRow(
        "滨州纺织智能工厂服务有限公司（虚构）",
        "ai_firm",
        "medium",
        ("binzhou", "dezhou", "liaocheng"),
        ("equipment_monitoring", "production_progress_tracking", "online_inspection"),
        ("C17", "C28"),
        "纺纱织造设备联网、断头监测和布面瑕疵在线检测，面向纺织产业集群。",
    ),
)
