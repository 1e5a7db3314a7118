from contest.selectors import nav_roles


def navigation(request) -> dict[str, bool]:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return nav_roles(user)
