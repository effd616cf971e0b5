"""Charts in a real browser: charts.js draws each as it comes near the window."""


def draw_every_chart(page) -> int:
    """Scroll each chart into view, as a reader would, until every one is drawn; back to the top after."""
    charts = page.locator("[data-figure]")
    count = charts.count()
    for index in range(count):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        chart.locator(".main-svg").first.wait_for(state="attached")
    page.evaluate("window.scrollTo(0, 0)")
    return count
