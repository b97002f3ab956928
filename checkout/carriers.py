"""The carriers a parcel can go with, their names and their public tracking pages."""

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Carrier:
    name: str
    # {number} is replaced by the URL-quoted tracking number; empty when the carrier has no public tracking page.
    tracking_url: str = ""


CARRIERS = {
    "royal_mail": Carrier("Royal Mail", "https://www.royalmail.com/track-your-item#/tracking-results/{number}"),
    "dhl": Carrier("DHL", "https://www.dhl.com/global-en/home/tracking.html?tracking-id={number}"),
    "ups": Carrier("UPS", "https://www.ups.com/track?tracknum={number}"),
    "fedex": Carrier("FedEx", "https://www.fedex.com/fedextrack/?trknbr={number}"),
    "usps": Carrier("USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}"),
    "other": Carrier("Other carrier"),
}
CARRIER_CHOICES = [(key, carrier.name) for key, carrier in CARRIERS.items()]


def carrier_name(key: str) -> str:
    carrier = CARRIERS.get(key)
    return carrier.name if carrier else key


def tracking_url(key: str, number: str) -> str:
    carrier = CARRIERS.get(key)
    if not (carrier and carrier.tracking_url and number):
        return ""
    return carrier.tracking_url.format(number=quote(number, safe=""))
