"""Set an editor's site setting in tests, even after a transactional test flushed the default site."""

from wagtail.models import Locale, Page, Site


def default_site() -> Site:
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        return site
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root"))
    return Site.objects.create(hostname="localhost", root_page=root, is_default_site=True)


def set_site_setting(model, **fields):
    setting, _ = model.objects.update_or_create(site=default_site(), defaults=fields)
    return setting
