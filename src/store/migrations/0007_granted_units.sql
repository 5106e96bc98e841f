-- File format 7: the units a fixed upfront price grants, per dimension of an opportunity
-- (AWS's `ResaleFixedUpfrontPricingTerm.Grants`, imported with an installment plan). NULL:
-- the partner plans the quantity, as before.
ALTER TABLE opportunity_prices ADD COLUMN granted_units INTEGER CHECK (granted_units IS NULL OR granted_units >= 0);
