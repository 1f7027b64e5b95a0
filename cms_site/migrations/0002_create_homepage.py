from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms_site.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    # Replace Wagtail's default "Welcome" page with the site's home page.
    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()
    homepage_content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms_site")
    homepage = HomePage.objects.create(
        title="The Club",
        draft_title="The Club",
        slug="home",
        content_type=homepage_content_type,
        path="00010001",
        depth=2,
        numchild=0,
        locale=Locale.objects.order_by("pk").first(),
        url_path="/home/",
        intro="<p>Earn Likes with every purchase, share them with friends, and swap them for rewards.</p>",
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page_id": homepage.id, "site_name": "The Club"},
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("cms_site.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms_site", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
