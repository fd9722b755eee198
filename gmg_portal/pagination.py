from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`page` and `page_size` (up to 200), as DESIGN.md promises API clients."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
