from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from wraparound.ui import session as web_session
from wraparound.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("sign-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("session/extend/", web_session.extend, name="extend_session"),
    path("", include("wraparound.caseload.urls")),
    path("referrals/", include("wraparound.referrals.urls")),
    path("privacy/", include("wraparound.door.urls")),
    path("fhir/", include("wraparound.fhir.urls")),
    path("scheduling/", include("wraparound.scheduling.urls")),
    path("metrics/exports/", include("wraparound.metrics.csds.urls")),
    path("directory/", include("wraparound.directory.urls")),
    path("metrics/", include("wraparound.metrics.urls")),
    path("feedback/", include("wraparound.feedback.urls")),
    path("contracts/", include("wraparound.contracts.urls")),
    path("capacity/", include("wraparound.capacity.urls")),
    path("discharge/", include("wraparound.discharge.urls")),
    path("population/", include("wraparound.population.urls")),
    path("admin/", admin.site.urls),
]
