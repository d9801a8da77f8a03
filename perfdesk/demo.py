"""The built-in demo document: seed 002 (永州市零陵区社会保险服务中心, 2022).

The form text ships in ``resources/demo/lingling-2022.txt`` and is imported
with the ordinary text importer, so the demo shows what an import gives,
including the originals' mistakes for 审核 to find. The unit profile is then
filled in as an officer would.
"""

from __future__ import annotations

from perfdesk.exchange.text_import import import_text
from perfdesk.model.document import Document
from perfdesk.resources import resource

DEMO_FILE = ("demo", "lingling-2022.txt")

UNIT_FUNCTIONS = (
    "（一）贯彻执行国家、省、市有关社会保险的法律法规和政策；\n"
    "（二）负责全区机关事业单位养老保险、企业职工基本养老保险和城乡居民基本养老保险的参保登记、"
    "申报核定、个人权益记录和关系转移接续等经办业务；\n"
    "（三）负责社会保险待遇的核定、支付和待遇领取资格认证；\n"
    "（四）负责社会保险基金的财务管理、会计核算和稽核监督，防范基金风险；\n"
    "（五）负责社会保险政策宣传、咨询和经办服务。"
)
UNIT_ORGANISATION = (
    "本单位为区人力资源和社会保障局所属公益一类事业单位，内设综合股、机关事业保险股、"
    "城乡居民保险股、企业职工保险股、基金财务股、稽核股。"
)


def demo_document() -> Document:
    """A fresh demo document (new uids on every call)."""
    text = resource(*DEMO_FILE).read_text(encoding="utf-8")
    doc = import_text(text).document
    unit = doc.unit
    unit.name = "永州市零陵区社会保险服务中心"
    unit.supervisor = "永州市零陵区人力资源和社会保障局"
    unit.functions = UNIT_FUNCTIONS
    unit.organisation = UNIT_ORGANISATION
    unit.leader = "张建国"
    unit.finance_leader = "李秀梅"
    unit.preparer = "王芳"
    unit.phone = "0746-6221234"
    doc.year = 2022
    doc.unit_evaluation.name = unit.name
    return doc


__all__ = ["demo_document"]
