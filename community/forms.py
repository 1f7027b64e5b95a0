"""Member forms: a post (with up to four images), a comment, a tip and a report."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from loyalty.rules.models import ProductCategory

from .images import max_upload_bytes
from .models import Report
from .services import MAX_IMAGES


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files from one input; each is checked by Pillow in the service, not here."""

    widget = MultipleImageInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        cleaned = [super(MultipleImageField, self).clean(item, initial) for item in files]
        if len(cleaned) > MAX_IMAGES:
            raise forms.ValidationError(
                _("A post can have up to %(limit)d images.") % {"limit": MAX_IMAGES}, code="too_many_images"
            )
        return cleaned


class PostForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=140, error_messages={"required": _("Give your post a title.")}
    )
    body = forms.CharField(
        label=_("Your post"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown works: **bold**, *italic*, [a link](https://example.com), lists."),
        error_messages={"required": _("Write something in your post.")},
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=ProductCategory.objects.all(), required=False, empty_label=_("No topic")
    )
    images = MultipleImageField(
        label=_("Photos"),
        required=False,
        widget=MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, post=None, **kwargs):
        super().__init__(*args, **kwargs)
        limit = max_upload_bytes() // (1024 * 1024)
        self.fields["images"].help_text = _("Up to %(count)d JPEG, PNG or WebP photos, %(mb)d MB each.") % {
            "count": MAX_IMAGES,
            "mb": limit,
        }
        if post is not None and post.images.exists():
            self.fields["remove_images"] = forms.MultipleChoiceField(
                label=_("Remove photos"),
                required=False,
                choices=[
                    (str(image.pk), _("Photo %(number)d") % {"number": number})
                    for number, image in enumerate(post.images.all(), start=1)
                ],
                widget=forms.CheckboxSelectMultiple,
            )

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give your post a title."))
        return title

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(_("Write something in your post."))
        return body


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write something in your comment.")},
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(_("Write something in your comment."))
        return body


class TipForm(forms.Form):
    amount = forms.IntegerField(label=_("Likes"), min_value=1, max_value=10_000_000, initial=10)
    # One token per rendered form: a double-click tips once.
    token = forms.CharField(widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex, max_length=64)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason for the report.")},
    )
    note = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
