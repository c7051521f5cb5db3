"""The coordinator's web import as a browser drives it: upload to read the columns, then
check with the proposed mapping (or a changed one), the background tasks run on commit."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def web_import(client, season, filename: str, content: bytes, capture=None,
               changes: dict[str, str] | None = None, sheet: str = ""):
    """The response to "Check every line with these columns" (a redirect to the batch's page
    when the mapping is accepted). `capture`: pytest-django's
    `django_capture_on_commit_callbacks`, to run the check task; `changes`: column as spelled
    → field, LEAVE_OUT or "" instead of the proposal."""
    url = reverse("registry:import", args=[season.slug])
    first = client.post(url, {"file": SimpleUploadedFile(filename, content), "sheet": sheet})
    assert first.status_code == 200, first.content.decode()[:2000]
    mapping = first.context["mapping"]
    assert mapping is not None, first.content.decode()[:2000]
    data = {name: mapping[name].value() or "" for name in mapping.fields}
    for position, column in enumerate(mapping.columns):
        if changes and column in changes:
            data[f"column-{position}"] = changes[column]
    read = first.context["sheet"].name
    data.update(file=SimpleUploadedFile(filename, content), check="1", sheet=read,
                columns_read=first.context["columns_key"])
    if capture is None:
        return client.post(url, data)
    with capture(execute=True):
        return client.post(url, data)


def web_apply(client, response, capture):
    """Apply the batch `response` redirected to; the apply task runs on commit."""
    with capture(execute=True):
        return client.post(response.url + "apply/")
