"""Webhook endpoints of the web shop platforms, mounted at /hooks/."""

from django.urls import path

from platforms import views

app_name = "hooks"

urlpatterns = [
    path("shopify/", views.shopify, name="shopify"),
    path("woocommerce/", views.woocommerce, name="woocommerce"),
]
