-- One database per service (no service reads another's tables).
CREATE DATABASE atelier_pricing;
CREATE DATABASE atelier_shop;
CREATE DATABASE atelier_partner_api;
CREATE DATABASE atelier_crm;
CREATE DATABASE atelier_mes;
CREATE DATABASE atelier_tracker;
