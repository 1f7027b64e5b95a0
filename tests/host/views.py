"""The host's own DRF endpoint, with DRF's default settings: it must behave exactly as without the plugin."""

from rest_framework.response import Response
from rest_framework.views import APIView


class WhoAmI(APIView):
    def get(self, request):
        return Response({"email": request.user.email if request.user.is_authenticated else None})

    def post(self, request):
        return Response({"received": request.data}, status=201)
