"""The consultants' screens of the enquiry desk: inbox, enquiry, logging a contact."""
