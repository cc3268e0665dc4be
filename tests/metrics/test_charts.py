"""SVG charts parse as XML, label themselves for screen readers, and escape what users type."""

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wraparound.metrics import svg
from wraparound.metrics.charts import (
    POINT_COLOURS,
    assurance_icon_svg,
    assurance_text,
    funnel_plot_svg,
    variation_icon_svg,
    variation_text,
    xmr_chart_svg,
)
from wraparound.metrics.funnel import proportion_funnel, rate_funnel, ratio_funnel
from wraparound.metrics.spc import Improvement, PointType, xmr_chart

NS = {"svg": svg.SVG_NAMESPACE}
EXAMPLE = [89, 86, 75, 77, 81, 74, 72, 78, 76, 82, 77, 54, 66, 77, 86]


def parse(document: str) -> ET.Element:
    root = ET.fromstring(document)
    assert root.tag == f"{{{svg.SVG_NAMESPACE}}}svg"
    return root


def assert_labelled_image(root: ET.Element, title: str | None = None) -> None:
    assert root.get("role") == "img"
    title_element = root.find("svg:title", NS)
    desc_element = root.find("svg:desc", NS)
    assert title_element is not None and desc_element is not None
    assert root.get("aria-labelledby") == f"{title_element.get('id')} {desc_element.get('id')}"
    assert desc_element.text
    if title is not None:
        assert title_element.text == title


def test_xmr_chart_svg_is_a_labelled_image():
    chart = xmr_chart(EXAMPLE, improvement=Improvement.INCREASE, target=80)
    root = parse(xmr_chart_svg(chart, title="Patients seen within 2 hours"))
    assert_labelled_image(root, "Patients seen within 2 hours")
    description = root.find("svg:desc", NS)
    assert description is not None and description.text is not None
    assert "1 of 15 points show special cause variation" in description.text
    assert "hit and miss the target" in description.text


def test_xmr_chart_svg_draws_one_dot_per_point_coloured_by_type():
    chart = xmr_chart(EXAMPLE, improvement=Improvement.INCREASE)
    root = parse(xmr_chart_svg(chart, title="t"))
    dots = root.findall(".//svg:g[@class='points']/svg:circle", NS)
    assert len(dots) == len(EXAMPLE)
    assert dots[11].get("fill") == POINT_COLOURS[PointType.CONCERN]
    assert dots[0].get("fill") == POINT_COLOURS[PointType.COMMON_CAUSE]
    tooltip = dots[11].find("svg:title", NS)
    assert tooltip is not None and tooltip.text is not None
    assert "concern" in tooltip.text


def test_xmr_chart_svg_draws_limits_for_each_segment_and_the_target():
    chart = xmr_chart(EXAMPLE, target=80, changes=[7])
    root = parse(xmr_chart_svg(chart, title="t"))
    assert len(root.findall(".//svg:line[@class='upper-limit']", NS)) == 2
    assert len(root.findall(".//svg:line[@class='mean']", NS)) == 2
    assert len(root.findall(".//svg:line[@class='target']", NS)) == 1


def test_text_typed_by_users_is_escaped():
    chart = xmr_chart([1.0, 2.0, 3.0], ["<script>", "a & b", '"quoted"'])
    document = xmr_chart_svg(chart, title="</title><script>alert(1)</script>")
    root = parse(document)
    assert "<script>" not in document
    title = root.find("svg:title", NS)
    assert title is not None and title.text == "</title><script>alert(1)</script>"
    assert root.find(".//svg:script", NS) is None


@given(st.text(min_size=1, max_size=40).filter(lambda s: all(c.isprintable() for c in s)))
def test_any_printable_title_survives_a_round_trip(title):
    root = parse(xmr_chart_svg(xmr_chart([1.0, 3.0, 2.0]), title=title))
    element = root.find("svg:title", NS)
    assert element is not None and element.text == title


def test_element_ids_must_be_safe_for_aria_references():
    with pytest.raises(ValueError, match="element_id"):
        xmr_chart_svg(xmr_chart([1.0, 2.0]), title="t", element_id="bad id")


def test_a_chosen_element_id_names_the_title_and_desc():
    root = parse(xmr_chart_svg(xmr_chart([1.0, 2.0]), title="t", element_id="falls-2025"))
    assert root.get("aria-labelledby") == "falls-2025-title falls-2025-desc"


def test_funnel_plot_svg_is_a_labelled_image_with_curves_and_units():
    funnel = proportion_funnel([30, 45, 60, 80, 12, 95], [108, 112, 165, 195, 100, 220])
    root = parse(funnel_plot_svg(funnel, title="Falls with harm by team"))
    assert_labelled_image(root, "Falls with harm by team")
    for name in ("lower-95", "upper-95", "lower-99.8", "upper-99.8"):
        assert root.find(f".//svg:path[@class='{name}']", NS) is not None
    assert len(root.findall(".//svg:g[@class='units']/svg:circle", NS)) == 6
    description = root.find("svg:desc", NS)
    assert description is not None and description.text is not None
    assert "Below the 99.8% limit: 5." in description.text


@pytest.mark.parametrize(
    "funnel",
    [
        ratio_funnel([12, 25, 28], [15, 20, 30]),
        rate_funnel([3, 0, 12], [1000, 800, 2000]),
        proportion_funnel([5], [10]),
    ],
)
def test_every_kind_of_funnel_renders(funnel):
    assert_labelled_image(parse(funnel_plot_svg(funnel, title="t")))


def test_variation_icon_says_what_the_latest_point_shows():
    chart = xmr_chart(EXAMPLE[:12], improvement=Improvement.INCREASE)
    root = parse(variation_icon_svg(chart))
    assert_labelled_image(root, "Variation: special cause variation: concern")
    assert variation_text(chart) == (
        "The latest point shows special cause variation: concern (higher is better)."
    )
    letter = root.find("svg:text", NS)
    assert letter is not None and letter.text == "L"


def test_assurance_icon_says_whether_the_target_will_be_met():
    chart = xmr_chart(EXAMPLE, improvement=Improvement.INCREASE, target=50)
    icon = assurance_icon_svg(chart)
    assert icon is not None
    assert_labelled_image(parse(icon), "Assurance: will consistently pass the target")
    assert assurance_text(chart) == "The process will consistently pass the target of 50."


def test_there_is_no_assurance_icon_without_a_target():
    chart = xmr_chart(EXAMPLE, improvement=Improvement.INCREASE)
    assert assurance_icon_svg(chart) is None
    assert assurance_text(chart) is None


def test_icons_are_shown_at_the_requested_size():
    root = parse(variation_icon_svg(xmr_chart(EXAMPLE), size=32))
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "32",
        "32",
        "0 0 100 100",
    )


def test_nice_ticks_are_round_numbers_inside_the_range():
    assert svg.nice_ticks(0.3, 9.7) == [2.0, 4.0, 6.0, 8.0]
    assert svg.nice_ticks(5.0, 5.0) == [5.0]


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(st.lists(finite, min_size=2, max_size=30))
def test_any_series_renders_as_well_formed_svg(values):
    assert_labelled_image(parse(xmr_chart_svg(xmr_chart(values), title="t")))


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=500), st.integers(min_value=1, max_value=500)),
        min_size=1,
        max_size=12,
    )
)
def test_any_proportion_funnel_renders_as_well_formed_svg(units):
    numerators = [min(top, bottom) for top, bottom in units]
    denominators = [bottom for _, bottom in units]
    funnel = proportion_funnel(numerators, denominators)
    assert_labelled_image(parse(funnel_plot_svg(funnel, title="t", curve_points=10)))
